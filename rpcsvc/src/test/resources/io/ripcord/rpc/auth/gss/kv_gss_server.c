/*
 * A KV server over RPCSEC_GSS, built by TirpcGssServerTest: rpcgen's dispatcher for kv.x (rpcgen -m),
 * libtirpc's server side of RPCSEC_GSS (svcauth_gss_set_svc_name), on 127.0.0.1 with no rpcbind.
 *
 * usage: kv_gss_server SERVICE@HOST   (the key tab comes from KRB5_KTNAME)
 * Prints "port N" once listening, then "put KEY by PRINCIPAL" and "get KEY by PRINCIPAL" for each call.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <gssapi/gssapi.h>
#include <rpc/rpc.h>
#include <rpc/auth_gss.h>
#include <rpc/svc_auth_gss.h>
#include <rpc/rpcsec_gss.h>
#include "kv.h"

static char stored_key[256];
static char stored_value[4096];
static u_int stored_length;
static bool_t stored;

/* The caller's principal as libtirpc's RPCSEC_GSS layer established it. */
static const char *principal(struct svc_req *rqstp) {
    static char name[256];
    rpc_gss_rawcred_t *raw = NULL;
    if (rqstp->rq_cred.oa_flavor != RPCSEC_GSS || !rpc_gss_getcred(rqstp, &raw, NULL, NULL) || raw == NULL
            || raw->client_principal == NULL) {
        return "(no RPCSEC_GSS principal)";
    }
    snprintf(name, sizeof name, "%.*s", raw->client_principal->len, raw->client_principal->name);
    return name;
}

void *kv_null_1_svc(void *argp, struct svc_req *rqstp) {
    static char result;
    return &result;
}

bool_t *kv_put_1_svc(kv_pair *argp, struct svc_req *rqstp) {
    static bool_t result;
    snprintf(stored_key, sizeof stored_key, "%.*s", (int) argp->key.kv_key_len, argp->key.kv_key_val);
    stored_length = argp->value.kv_value_len < sizeof stored_value ? argp->value.kv_value_len : sizeof stored_value;
    memcpy(stored_value, argp->value.kv_value_val, stored_length);
    stored = TRUE;
    printf("put %s by %s\n", stored_key, principal(rqstp));
    fflush(stdout);
    result = TRUE;
    return &result;
}

kv_get_result *kv_get_1_svc(kv_key *argp, struct svc_req *rqstp) {
    static kv_get_result result;
    printf("get %.*s by %s\n", (int) argp->kv_key_len, argp->kv_key_val, principal(rqstp));
    fflush(stdout);
    result.found = stored && argp->kv_key_len == strlen(stored_key)
            && memcmp(argp->kv_key_val, stored_key, argp->kv_key_len) == 0;
    result.kv_get_result_u.value.kv_value_len = stored_length;
    result.kv_get_result_u.value.kv_value_val = stored_value;
    return &result;
}

bool_t *kv_delete_1_svc(kv_key *argp, struct svc_req *rqstp) {
    static bool_t result;
    result = FALSE;
    return &result;
}

kv_keys *kv_list_1_svc(void *argp, struct svc_req *rqstp) {
    static kv_keys result;
    result = NULL;
    return &result;
}

void *kv_null_2_svc(void *argp, struct svc_req *rqstp) {
    return kv_null_1_svc(argp, rqstp);
}

bool_t *kv_put_2_svc(kv_pair *argp, struct svc_req *rqstp) {
    return kv_put_1_svc(argp, rqstp);
}

kv_get_result *kv_get_2_svc(kv_key *argp, struct svc_req *rqstp) {
    return kv_get_1_svc(argp, rqstp);
}

bool_t *kv_delete_2_svc(kv_key *argp, struct svc_req *rqstp) {
    return kv_delete_1_svc(argp, rqstp);
}

kv_keys *kv_list_2_svc(void *argp, struct svc_req *rqstp) {
    return kv_list_1_svc(argp, rqstp);
}

u_quad_t *kv_count_2_svc(void *argp, struct svc_req *rqstp) {
    static u_quad_t result;
    result = stored ? 1 : 0;
    return &result;
}

kv_pairs *kv_scan_2_svc(kv_key *argp, struct svc_req *rqstp) {
    static kv_pairs result;
    result.kv_pairs_len = 0;
    result.kv_pairs_val = NULL;
    return &result;
}

extern void kv_prog_1(struct svc_req *rqstp, SVCXPRT *transp);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SERVICE@HOST\n", argv[0]);
        return 1;
    }
    OM_uint32 minor;
    gss_buffer_desc text = {strlen(argv[1]), argv[1]};
    gss_name_t name;
    if (gss_import_name(&minor, &text, GSS_C_NT_HOSTBASED_SERVICE, &name) != GSS_S_COMPLETE) {
        fprintf(stderr, "gss_import_name %s failed\n", argv[1]);
        return 2;
    }
    if (!svcauth_gss_set_svc_name(name)) {
        fprintf(stderr, "svcauth_gss_set_svc_name failed\n");
        return 2;
    }

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0 || listen(fd, 4) != 0
            || getsockname(fd, (struct sockaddr *) &addr, &len) != 0) {
        perror("socket");
        return 3;
    }
    SVCXPRT *xprt = svctcp_create(fd, 0, 0);
    if (xprt == NULL || !svc_register(xprt, KV_PROG, KV_V1, kv_prog_1, 0)) {
        fprintf(stderr, "cannot serve KV_PROG\n");
        return 3;
    }
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    svc_run();
    return 4;
}
