#ifndef C_FIXSTREAM_NET_H
#define C_FIXSTREAM_NET_H

#include <sys/epoll.h>

#endif
