#ifndef TILL_CNCURSES_SHIM_H
#define TILL_CNCURSES_SHIM_H
// Wide-character curses calls (add_wch, get_wch, setcchar) need this before the header.
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <ncursesw/curses.h>

// curses' globals as functions, so Swift's concurrency checking can call them.
static inline WINDOW *till_stdscr(void) { return stdscr; }
static inline int till_colors(void) { return COLORS; }
static inline WINDOW *till_curscr(void) { return curscr; }
#endif
