#ifndef C_FIXSTREAM_NET_H
#define C_FIXSTREAM_NET_H

// C glue for the Linux calls Glibc does not export to Swift. Everything here is a thin wrapper: the typed,
// error-checked API lives in the Swift module FixstreamNet.

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>

/// Same layout as glibc's `struct mmsghdr`, which is only declared under `_GNU_SOURCE` (checked in the .c file).
typedef struct {
    struct msghdr msg_hdr;
    unsigned int msg_len;
} CFixstreamNet_mmsghdr;

/// `accept4(2)`.
int CFixstreamNet_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// `recvmmsg(2)` without a timeout. Pass `MSG_WAITFORONE` or `MSG_DONTWAIT`: without either it waits for every slot.
int CFixstreamNet_recvmmsg(int fd, CFixstreamNet_mmsghdr *messages, unsigned int count, int flags);

/// `sendmmsg(2)`.
int CFixstreamNet_sendmmsg(int fd, CFixstreamNet_mmsghdr *messages, unsigned int count, int flags);

/// `pthread_setname_np(3)` on the calling thread (at most 15 bytes plus the terminating NUL).
int CFixstreamNet_set_current_thread_name(const char *name);

/// `pthread_getname_np(3)` of the calling thread into `buffer` (16 bytes suffice).
int CFixstreamNet_get_current_thread_name(char *buffer, size_t length);

/// The number of CPUs this thread may run on (`sched_getaffinity`), else the online CPUs, at least 1.
int CFixstreamNet_available_cpus(void);

/// Sets `SIGPIPE` to `SIG_IGN` for the whole process. Returns 0, or -1 with errno set.
int CFixstreamNet_ignore_sigpipe(void);

#endif
