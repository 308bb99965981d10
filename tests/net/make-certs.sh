#!/bin/sh
# make-certs.sh DIR: create throw-away TLS material for the network tests.
#
# Writes into DIR (created if missing):
#   ca.pem, ca.key          a test certificate authority (self-signed)
#   server.pem, server.key  a server certificate signed by that CA, valid for
#                           DNS:localhost and IP:127.0.0.1
#   other-ca.pem            a second, unrelated CA (its key is thrown away), so
#                           a test can show that the wrong CA file makes the
#                           TLS check fail
# All keys are EC P-256, all certificates are valid for 2 days. Only the
# openssl command-line tool is used (works with OpenSSL 3.0, Debian 12); the
# system openssl.cnf is not read. Quiet on success; on failure prints what
# openssl said and exits non-zero.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
mkdir -p "$dir"
# Private keys must not be readable by others.
umask 077

log="$dir/make-certs.log"
: >"$log"
fail() {
    echo "make-certs.sh: $1 failed:" >&2
    cat "$log" >&2
    exit 1
}

# A minimal configuration of our own, so the result does not depend on the
# system's openssl.cnf (which may add or duplicate extensions).
cnf="$dir/make-certs.cnf"
cat >"$cnf" <<'CNF'
[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = unused

[ ca_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ server_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
CNF

# newkey FILE: a fresh EC P-256 private key (PKCS#8 PEM).
newkey() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -out "$1" >>"$log" 2>&1 || fail "key generation ($1)"
}

# newca KEY CERT CN: a self-signed CA certificate.
newca() {
    openssl req -config "$cnf" -new -x509 -key "$1" -out "$2" -days 2 \
        -sha256 -subj "/CN=$3" -extensions ca_ext \
        -set_serial "0x$(openssl rand -hex 8)" >>"$log" 2>&1 ||
        fail "CA certificate ($2)"
}

# The test CA.
newkey "$dir/ca.key"
newca "$dir/ca.key" "$dir/ca.pem" "loket test CA"

# The server certificate, signed by the test CA.
newkey "$dir/server.key"
openssl req -config "$cnf" -new -key "$dir/server.key" -subj "/CN=localhost" \
    -out "$dir/server.csr" >>"$log" 2>&1 || fail "server request"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -set_serial "0x$(openssl rand -hex 8)" -days 2 -sha256 \
    -extfile "$cnf" -extensions server_ext -out "$dir/server.pem" \
    >>"$log" 2>&1 || fail "server certificate"

# A second CA that has nothing to do with the first one.
newkey "$dir/other-ca.key"
newca "$dir/other-ca.key" "$dir/other-ca.pem" "loket unrelated test CA"
rm -f "$dir/other-ca.key"

# Sanity check: the server certificate must verify against ca.pem only.
openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >>"$log" 2>&1 ||
    fail "verification against ca.pem"
if openssl verify -CAfile "$dir/other-ca.pem" "$dir/server.pem" \
    >>"$log" 2>&1; then
    fail "negative check against other-ca.pem (it verified)"
fi

# Certificates are public; let any test user read them.
chmod 644 "$dir/ca.pem" "$dir/server.pem" "$dir/other-ca.pem"
rm -f "$dir/server.csr" "$cnf" "$log"
