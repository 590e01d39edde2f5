/* The floor: what a minimal one-thread C epoll server costs on this machine, so that every Ripcord figure
 * can also be read as a ratio to it. It does only the work the protocol needs, nothing a library adds
 * (no buffers pooled per connection beyond a fixed array, no timers, no logging, no metrics).
 *
 * build: gcc -O2 -o floor_server floor_server.c
 * run:   ./floor_server rpc|echo <port> [threads]   (prints "listening on 127.0.0.1:<port>" once bound; port 0:
 *        any free port). With several threads each has its own epoll and its own listening socket on the same
 *        port (SO_REUSEPORT: the kernel spreads the connections), and shares nothing with the others.
 *
 * rpc:  every record-marked ONC RPC call is answered with a fixed accepted void reply carrying its xid
 *       (REPLY, MSG_ACCEPTED, AUTH_NONE verifier, SUCCESS); the replies to the calls one read brought in
 *       leave in one write. Closes on EOF or on a record over 64 KiB.
 * echo: every byte read is written back.
 * Both: accept4 non-blocking in a loop until EAGAIN, TCP_NODELAY on each connection, level-triggered epoll,
 * a write that cannot finish keeps the rest and waits for EPOLLOUT. SIGTERM ends it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 65536
#define BUF (64 * 1024 + 8)

typedef struct {
    unsigned char *in;   /* partial record (rpc) */
    size_t inlen;
    unsigned char *out;  /* bytes a write could not take */
    size_t outlen;
} conn_t;

static conn_t *conns[MAX_FD];        /* by descriptor: each descriptor belongs to one thread */
static int rpc_mode;
static __thread int ep;
static __thread unsigned char rbuf[BUF], wbuf[BUF * 2];

static void put32(unsigned char *p, unsigned v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static unsigned get32(const unsigned char *p) { return (unsigned)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static void drop(int fd) {
    conn_t *c = conns[fd];
    if (c) { free(c->in); free(c->out); free(c); conns[fd] = NULL; }
    close(fd);
}

/* Writes what it can; keeps the rest and asks for EPOLLOUT. Returns -1 when the connection is gone. */
static int send_all(int fd, conn_t *c, const unsigned char *p, size_t n) {
    if (c->outlen == 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno != EAGAIN) return -1;
        if (w < 0) w = 0;
        p += w; n -= (size_t)w;
        if (n == 0) return 0;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = fd};
        epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
    }
    c->out = realloc(c->out, c->outlen + n);
    memcpy(c->out + c->outlen, p, n);
    c->outlen += n;
    return 0;
}

static int flush_out(int fd, conn_t *c) {
    ssize_t w = write(fd, c->out, c->outlen);
    if (w < 0) return errno == EAGAIN ? 0 : -1;
    memmove(c->out, c->out + w, c->outlen - (size_t)w);
    c->outlen -= (size_t)w;
    if (c->outlen == 0) {
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
    }
    return 0;
}

/* rpc: answers every complete record in c->in (after appending n new bytes); -1 closes. */
static int serve_rpc(int fd, conn_t *c, const unsigned char *data, size_t n) {
    const unsigned char *p;
    size_t len;
    if (c->inlen == 0) {
        p = data; len = n;
    } else {
        if (c->inlen + n > BUF) return -1;
        c->in = realloc(c->in, c->inlen + n);
        memcpy(c->in + c->inlen, data, n);
        c->inlen += n;
        p = c->in; len = c->inlen;
    }
    size_t off = 0, out = 0;
    while (len - off >= 4) {
        unsigned mark = get32(p + off), flen = mark & 0x7fffffffu;
        if (flen > 64 * 1024 || !(mark & 0x80000000u)) return -1; /* one-fragment records only */
        if (len - off < 4 + flen) break;
        if (flen >= 4) {
            unsigned char *r = wbuf + out;
            memset(r, 0, 28);
            put32(r, 0x80000000u | 24);
            memcpy(r + 4, p + off + 4, 4); /* xid */
            put32(r + 8, 1);               /* REPLY; MSG_ACCEPTED, AUTH_NONE {0, 0}, SUCCESS are zeros */
            out += 28;
            if (out + 28 > sizeof wbuf) { if (send_all(fd, c, wbuf, out) < 0) return -1; out = 0; }
        }
        off += 4 + flen;
    }
    if (out && send_all(fd, c, wbuf, out) < 0) return -1;
    size_t rest = len - off;
    if (rest == 0) {
        c->inlen = 0;
    } else if (p == data) {
        c->in = realloc(c->in, rest);
        memcpy(c->in, data + off, rest);
        c->inlen = rest;
    } else {
        memmove(c->in, c->in + off, rest);
        c->inlen = rest;
    }
    return 0;
}

static void on_readable(int fd) {
    conn_t *c = conns[fd];
    if (c->outlen) { /* the peer is not draining: let the queue go first */
        if (flush_out(fd, c) < 0) { drop(fd); return; }
        if (c->outlen) return;
    }
    ssize_t r = read(fd, rbuf, sizeof rbuf);
    if (r == 0 || (r < 0 && errno != EAGAIN)) { drop(fd); return; }
    if (r < 0) return;
    int rc = rpc_mode ? serve_rpc(fd, c, rbuf, (size_t)r) : send_all(fd, c, rbuf, (size_t)r);
    if (rc < 0) drop(fd);
}

static void on_accept(int lfd) {
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return; /* EAGAIN, or a transient error: epoll tells us again */
        if (fd >= MAX_FD) { close(fd); continue; }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conns[fd] = calloc(1, sizeof(conn_t));
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
}

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

static int listen_on(unsigned short port, int reuseport) {
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reuseport) setsockopt(lfd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 4096) < 0) { perror("bind/listen"); exit(1); }
    return lfd;
}

static void *serve(void *arg) {
    int lfd = (int)(long)arg;
    ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd};
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event evs[256];
    while (!stop) {
        int n = epoll_wait(ep, evs, 256, -1);
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd) { on_accept(lfd); continue; }
            if (!conns[fd]) continue;
            if ((evs[i].events & EPOLLOUT) && flush_out(fd, conns[fd]) < 0) { drop(fd); continue; }
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(fd);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4 || (strcmp(argv[1], "rpc") && strcmp(argv[1], "echo"))) {
        fprintf(stderr, "usage: floor_server rpc|echo <port> [threads]\n");
        return 2;
    }
    rpc_mode = !strcmp(argv[1], "rpc");
    int threads = argc == 4 ? atoi(argv[3]) : 1;
    if (threads < 1 || threads > 64) { fprintf(stderr, "threads: 1 to 64\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    int first = listen_on((unsigned short)atoi(argv[2]), threads > 1);
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    getsockname(first, (struct sockaddr *)&a, &al);
    pthread_t t[64];
    for (int i = 1; i < threads; i++) pthread_create(&t[i], NULL, serve, (void *)(long)listen_on(ntohs(a.sin_port), 1));
    printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    fflush(stdout);
    serve((void *)(long)first);
    return 0;
}
