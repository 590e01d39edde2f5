/*
 * A KV client over RPCSEC_GSS, built by TirpcGssClientTest: rpcgen's stubs for kv.x, libtirpc's
 * authgss_create_default, an explicit server address (clnttcp_create, no rpcbind).
 *
 * usage: kv_gss_client HOST PORT none|integrity|privacy SERVICE@HOST KEY VALUE
 * Prints "context established", "put: true|false", "get: VALUE" or "get: not found"; exits 0 when every call
 * returned, 2 to 5 at the step that failed.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rpc/rpc.h>
#include <rpc/auth_gss.h>
#include "kv.h"

/* The Kerberos V5 mechanism, 1.2.840.113554.1.2.2 (RFC 1964): libtirpc declares krb5oid but does not export it. */
static gss_OID_desc krb5_mechanism = {9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s HOST PORT none|integrity|privacy SERVICE@HOST KEY VALUE\n", argv[0]);
        return 1;
    }
    rpc_gss_svc_t svc = strcmp(argv[3], "privacy") == 0 ? RPCSEC_GSS_SVC_PRIVACY
            : strcmp(argv[3], "integrity") == 0 ? RPCSEC_GSS_SVC_INTEGRITY : RPCSEC_GSS_SVC_NONE;

    struct sockaddr_in server;
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short) atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) {
        fprintf(stderr, "not an IPv4 address: %s\n", argv[1]);
        return 1;
    }
    int sock = RPC_ANYSOCK;
    CLIENT *clnt = clnttcp_create(&server, KV_PROG, KV_V1, &sock, 0, 0);
    if (clnt == NULL) {
        clnt_pcreateerror("clnttcp_create");
        return 2;
    }

    struct rpc_gss_sec sec;
    memset(&sec, 0, sizeof sec);
    sec.mech = &krb5_mechanism;
    sec.qop = 0;
    sec.svc = svc;
    sec.cred = GSS_C_NO_CREDENTIAL;
    sec.req_flags = 0;
    AUTH *auth = authgss_create_default(clnt, argv[4], &sec);
    if (auth == NULL) {
        clnt_pcreateerror("authgss_create_default");
        return 3;
    }
    auth_destroy(clnt->cl_auth);
    clnt->cl_auth = auth;
    printf("context established\n");

    kv_pair pair;
    pair.key.kv_key_len = (u_int) strlen(argv[5]);      /* kv_key is opaque<255> */
    pair.key.kv_key_val = argv[5];
    pair.value.kv_value_len = (u_int) strlen(argv[6]);
    pair.value.kv_value_val = argv[6];
    bool_t *put = kv_put_1(&pair, clnt);
    if (put == NULL) {
        clnt_perror(clnt, "KV_PUT");
        return 4;
    }
    printf("put: %s\n", *put ? "true" : "false");

    kv_key key = pair.key;
    kv_get_result *got = kv_get_1(&key, clnt);
    if (got == NULL) {
        clnt_perror(clnt, "KV_GET");
        return 5;
    }
    if (got->found) {
        printf("get: %.*s\n", (int) got->kv_get_result_u.value.kv_value_len, got->kv_get_result_u.value.kv_value_val);
    } else {
        printf("get: not found\n");
    }
    fflush(stdout);

    auth_destroy(clnt->cl_auth);
    clnt->cl_auth = NULL;
    clnt_destroy(clnt);
    return 0;
}
