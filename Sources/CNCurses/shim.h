#ifndef TILL_CNCURSES_SHIM_H
#define TILL_CNCURSES_SHIM_H
// Wide-character curses calls (add_wch, get_wch, setcchar) need this before the header.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
