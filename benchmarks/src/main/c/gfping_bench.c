/* GF-DUMP PING load generator for glusterd (or any ONC RPC server over TCP).
 *
 * build: gcc -O2 -o gfping_bench gfping_bench.c
 * mode pipe:  ./gfping_bench pipe  <host> <port> <conns> <depth> <seconds> [prog vers proc]
 *   conns connections, each keeps `depth` calls in flight (epoll, one thread).
 * mode ccc:   ./gfping_bench ccc   <host> <port> <seconds> [prog vers proc]
 *   connect, one call, wait reply, close; sequential loop.
 * mode cccn:  ./gfping_bench cccn  <host> <port> <clients> <seconds> [prog vers proc]
 *   `clients` connect-call-close loops at once (non-blocking connects, epoll, one thread): how a server
 *   accepts when many CLI commands arrive together. Prints conn/s and the p50/p99 of one cycle in us.
 * Default call: prog 123451501 vers 1 proc 2 (GF-DUMP PING), AUTH_NONE, no args.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static unsigned prog = 123451501, vers = 1, proc = 2;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void put32(unsigned char *p, unsigned v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static unsigned get32(const unsigned char *p) { return (unsigned)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

/* 44-byte record: mark + 40-byte call */
static void mkcall(unsigned char *b, unsigned xid) {
    memset(b, 0, 44);
    put32(b, 0x80000000u | 40); put32(b + 4, xid); put32(b + 8, 0); put32(b + 12, 2);
    put32(b + 16, prog); put32(b + 20, vers); put32(b + 24, proc);
    /* cred AUTH_NONE len 0, verf AUTH_NONE len 0 : already zero */
}

static int dial(const char *host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(port); inet_pton(AF_INET, host, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return -1; }
    int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

typedef struct { int fd; unsigned xid; unsigned char in[65536]; size_t inlen; long done; } conn_t;

static int check_reply(const unsigned char *m, unsigned len) {
    /* xid, REPLY(1), MSG_ACCEPTED(0), verf flavor, verf len, ..., accept_stat */
    if (len < 24 || get32(m + 4) != 1 || get32(m + 8) != 0) return -1;
    unsigned vl = get32(m + 16);
    unsigned st = get32(m + 20 + ((vl + 3) & ~3u));
    return (int)st;
}

static int do_pipe(const char *host, int port, int nconn, int depth, double secs) {
    int ep = epoll_create1(0);
    conn_t *c = calloc(nconn, sizeof *c);
    unsigned char *out = malloc(44 * depth);
    for (int i = 0; i < nconn; i++) {
        c[i].fd = dial(host, port); if (c[i].fd < 0) return 1;
        c[i].xid = (unsigned)i << 24;
        for (int k = 0; k < depth; k++) mkcall(out + 44 * k, ++c[i].xid);
        if (write(c[i].fd, out, 44 * depth) != 44 * depth) { perror("write"); return 1; }
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev);
    }
    double t0 = now(), tend = t0 + secs; long total = 0, bad = 0;
    int stopping = 0; long inflight = (long)nconn * depth;
    struct epoll_event evs[64];
    while (inflight > 0) {
        int n = epoll_wait(ep, evs, 64, 1000);
        if (n <= 0) { fprintf(stderr, "timeout waiting, inflight=%ld\n", inflight); break; }
        if (!stopping && now() >= tend) stopping = 1;
        for (int e = 0; e < n; e++) {
            conn_t *cc = &c[evs[e].data.u32];
            ssize_t r = read(cc->fd, cc->in + cc->inlen, sizeof cc->in - cc->inlen);
            if (r <= 0) { fprintf(stderr, "read: %zd %s\n", r, strerror(errno)); return 1; }
            cc->inlen += r;
            size_t off = 0; int replies = 0;
            while (cc->inlen - off >= 4) {
                unsigned h = get32(cc->in + off), len = h & 0x7fffffff;
                if (cc->inlen - off < 4 + len) break;
                if (check_reply(cc->in + off + 4, len) != 0) bad++;
                off += 4 + len; replies++;
            }
            memmove(cc->in, cc->in + off, cc->inlen - off); cc->inlen -= off;
            total += replies; cc->done += replies; inflight -= replies;
            if (!stopping && replies) {
                for (int k = 0; k < replies; k++) mkcall(out + 44 * k, ++cc->xid);
                if (write(cc->fd, out, 44 * replies) != 44 * replies) { perror("write"); return 1; }
                inflight += replies;
            }
        }
    }
    double el = now() - t0;
    printf("pipe conns=%d depth=%d prog=%u vers=%u proc=%u: %ld replies in %.2fs = %.0f calls/s (non-SUCCESS: %ld)\n",
           nconn, depth, prog, vers, proc, total, el, total / el, bad);
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int do_ccc(const char *host, int port, double secs) {
    unsigned char out[44], in[4096];
    size_t cap = 1 << 20, nlat = 0; double *lat = malloc(cap * sizeof *lat);
    double t0 = now(), tend = t0 + secs; long total = 0, bad = 0; unsigned xid = 1;
    while (now() < tend) {
        double c0 = now();
        int fd = dial(host, port); if (fd < 0) return 1;
        mkcall(out, xid++);
        if (write(fd, out, 44) != 44) { perror("write"); return 1; }
        size_t got = 0;
        for (;;) {
            ssize_t r = read(fd, in + got, sizeof in - got);
            if (r <= 0) { fprintf(stderr, "read %zd\n", r); return 1; }
            got += r;
            if (got >= 4 && got >= 4 + (get32(in) & 0x7fffffff)) break;
        }
        if (check_reply(in + 4, get32(in) & 0x7fffffff) != 0) bad++;
        close(fd); total++;
        if (nlat < cap) lat[nlat++] = now() - c0;
    }
    double el = now() - t0;
    qsort(lat, nlat, sizeof *lat, cmp_double);
    double p50 = nlat ? lat[nlat / 2] * 1e6 : 0, p99 = nlat ? lat[(size_t)(nlat * 0.99)] * 1e6 : 0;
    printf("connect-call-close prog=%u vers=%u proc=%u: %ld calls in %.2fs = %.0f conn/s p50=%.0fus p99=%.0fus "
           "(non-SUCCESS: %ld)\n", prog, vers, proc, total, el, total / el, p50, p99, bad);
    return 0;
}

/* One client slot of cccn: connecting (write the call when writable), then reading the reply. */
typedef struct { int fd; int sent; size_t got; double t0; unsigned char in[256]; } slot_t;

static int start_slot(int ep, slot_t *s, int idx, const struct sockaddr_in *a) {
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1; setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->sent = 0; s->got = 0; s->t0 = now();
    if (connect(s->fd, (const struct sockaddr *)a, sizeof *a) < 0 && errno != EINPROGRESS) { perror("connect"); return -1; }
    struct epoll_event ev = {.events = EPOLLOUT, .data.u32 = idx};
    return epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
}

static int do_cccn(const char *host, int port, int clients, double secs) {
    struct sockaddr_in a = {0}; a.sin_family = AF_INET; a.sin_port = htons(port); inet_pton(AF_INET, host, &a.sin_addr);
    int ep = epoll_create1(0);
    slot_t *slots = calloc(clients, sizeof *slots);
    size_t cap = 1 << 20, nlat = 0; double *lat = malloc(cap * sizeof *lat);
    unsigned xid = 1; long total = 0, bad = 0, active = clients;
    double t0 = now(), tend = t0 + secs;
    for (int i = 0; i < clients; i++) if (start_slot(ep, &slots[i], i, &a) < 0) return 1;
    struct epoll_event evs[256];
    while (active > 0) {
        int n = epoll_wait(ep, evs, 256, 5000);
        if (n <= 0) { fprintf(stderr, "cccn: no progress for 5 s (%ld active)\n", active); return 1; }
        for (int e = 0; e < n; e++) {
            slot_t *s = &slots[evs[e].data.u32];
            if (!s->sent) {
                int err = 0; socklen_t el = sizeof err;
                getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
                if (err) { fprintf(stderr, "connect: %s\n", strerror(err)); return 1; }
                unsigned char out[44]; mkcall(out, xid++);
                if (write(s->fd, out, 44) != 44) { perror("write"); return 1; }
                s->sent = 1;
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = evs[e].data.u32};
                epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
                continue;
            }
            ssize_t r = read(s->fd, s->in + s->got, sizeof s->in - s->got);
            if (r <= 0) { fprintf(stderr, "read %zd\n", r); return 1; }
            s->got += r;
            if (s->got < 4 || s->got < 4 + (get32(s->in) & 0x7fffffff)) continue;
            if (check_reply(s->in + 4, get32(s->in) & 0x7fffffff) != 0) bad++;
            double t = now();
            if (nlat < cap) lat[nlat++] = t - s->t0;
            close(s->fd); total++;
            if (t < tend) { if (start_slot(ep, s, evs[e].data.u32, &a) < 0) return 1; }
            else active--;
        }
    }
    double el = now() - t0;
    qsort(lat, nlat, sizeof *lat, cmp_double);
    double p50 = nlat ? lat[nlat / 2] * 1e6 : 0, p99 = nlat ? lat[(size_t)(nlat * 0.99)] * 1e6 : 0;
    printf("connect-call-close clients=%d prog=%u vers=%u proc=%u: %ld calls in %.2fs = %.0f conn/s "
           "p50=%.0fus p99=%.0fus (non-SUCCESS: %ld)\n", clients, prog, vers, proc, total, el, total / el, p50, p99, bad);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "see source header for usage\n"); return 2; }
    if (!strcmp(argv[1], "pipe") && argc >= 7) {
        if (argc >= 10) { prog = atoi(argv[7]); vers = atoi(argv[8]); proc = atoi(argv[9]); }
        return do_pipe(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atof(argv[6]));
    }
    if (!strcmp(argv[1], "cccn") && argc >= 6) {
        if (argc >= 9) { prog = atoi(argv[6]); vers = atoi(argv[7]); proc = atoi(argv[8]); }
        return do_cccn(argv[2], atoi(argv[3]), atoi(argv[4]), atof(argv[5]));
    }
    if (!strcmp(argv[1], "ccc") && argc >= 5) {
        if (argc >= 8) { prog = atoi(argv[5]); vers = atoi(argv[6]); proc = atoi(argv[7]); }
        return do_ccc(argv[2], atoi(argv[3]), atof(argv[4]));
    }
    fprintf(stderr, "bad args\n"); return 2;
}
