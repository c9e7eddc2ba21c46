#define _GNU_SOURCE
#include "CFixstreamNet.h"

#include <sched.h>
#include <stddef.h>
#include <unistd.h>

_Static_assert(sizeof(CFixstreamNet_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr size");
_Static_assert(offsetof(CFixstreamNet_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "mmsghdr layout");
_Static_assert(sizeof(struct epoll_event) == 12, "packed epoll_event on x86_64");

int CFixstreamNet_accept4(int fd, struct sockaddr *address, socklen_t *length, int flags) {
    return accept4(fd, address, length, flags);
}

int CFixstreamNet_recvmmsg(int fd, CFixstreamNet_mmsghdr *messages, unsigned int count, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, flags, NULL);
}

int CFixstreamNet_sendmmsg(int fd, CFixstreamNet_mmsghdr *messages, unsigned int count, int flags) {
    return sendmmsg(fd, (struct mmsghdr *)messages, count, flags);
}

int CFixstreamNet_set_current_thread_name(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

int CFixstreamNet_get_current_thread_name(char *buffer, size_t length) {
    return pthread_getname_np(pthread_self(), buffer, length);
}

int CFixstreamNet_available_cpus(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) {
            return count;
        }
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}

int CFixstreamNet_ignore_sigpipe(void) {
    struct sigaction action = {0};
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGPIPE, &action, NULL);
}
