#ifndef TILL_CLIBPQ_SHIM_H
#define TILL_CLIBPQ_SHIM_H
// libpq, PostgreSQL's own client library (Debian's libpq-dev): its headers are in
// /usr/include/postgresql, reached from the standard include path.
#include <postgresql/libpq-fe.h>
#endif
