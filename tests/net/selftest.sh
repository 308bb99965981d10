#!/bin/sh
# selftest.sh: check the local test servers of tests/net/ on their own, with
# the Python standard library as client (and curl too, if it is installed).
#
#     sh tests/net/selftest.sh
#
# Prints "selftest: ok" and exits 0 when everything works; otherwise says
# what failed and exits non-zero. Needs python3 and openssl. With KEEP=1 the
# temporary directory (certificates, server state, logs) is left in place.
set -eu

net_dir=$(cd "$(dirname "$0")" && pwd)
. "$net_dir/netlib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/loket-net-selftest.XXXXXX")
cleanup() {
    net_stop
    if [ -n "${KEEP:-}" ]; then
        echo "selftest: files kept in $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "selftest: FAIL: $*" >&2
    exit 1
}

# expect WHAT EXPECTED ACTUAL
expect() {
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

certs=$tmp/certs
state=$tmp/state
mail=$tmp/mail

# --- certificates -------------------------------------------------------

net_certs "$certs"
for f in ca.pem ca.key server.pem server.key other-ca.pem; do
    [ -s "$certs/$f" ] || fail "make-certs.sh did not create $f"
done

# --- HTTPS catalogue ----------------------------------------------------

# fetch CAFILE URL OUT [HEADER: VALUE ...]
#   GET URL (socket time-out $fetch_timeout seconds, default 5); prints the status code (or "error <ExceptionName>"), writes the
#   body to OUT and the response headers to OUT.hdr (lower-case names).
fetch() {
    fetch__ca=$1 fetch__url=$2 fetch__out=$3
    shift 3
    python3 -c '
import http.client, ssl, sys, urllib.parse
cafile, url, out = sys.argv[1:4]
ctx = ssl.create_default_context(cafile=cafile)
u = urllib.parse.urlsplit(url)
try:
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx,
                                 timeout=float(sys.argv[4]))
    c.putrequest("GET", u.path + ("?" + u.query if u.query else ""))
    for h in sys.argv[5:]:
        k, v = h.split(":", 1)
        c.putheader(k.strip(), v.strip())
    c.endheaders()
    r = c.getresponse()
    body = r.read()
except Exception as e:
    print("error", type(e).__name__)
    sys.exit(0)
with open(out, "wb") as f:
    f.write(body)
with open(out + ".hdr", "w") as f:
    for k, v in r.getheaders():
        f.write("%s: %s\n" % (k.lower(), v))
print(r.status)
' "$fetch__ca" "$fetch__url" "$fetch__out" "${fetch_timeout:-5}" "$@"
}

# header FILE NAME: value of a header saved by fetch.
header() {
    sed -n "s/^$2: //p" "$1.hdr"
}

mkdir -p "$state/pages"
printf '{"pageSize":2,"pageNumber":1,"hasNextPage":true,"items":[{"offeringId":"a"},{"offeringId":"b"}]}\n' \
    >"$state/pages/1.json"
printf '{"pageSize":2,"pageNumber":2,"hasNextPage":false,"items":[{"offeringId":"c"}]}\n' \
    >"$state/pages/2.json"

net_start_catalogue "$state" "$certs"
base=https://localhost:$catalogue_port/offerings
ca=$certs/ca.pem

# Paging: each page verbatim, missing pageNumber means page 1.
expect "page 1" 200 "$(fetch "$ca" "$base?pageNumber=1&pageSize=2" "$tmp/p1")"
cmp -s "$tmp/p1" "$state/pages/1.json" || fail "page 1 body differs"
expect "page 1 type" application/json "$(header "$tmp/p1" content-type)"
expect "page 2" 200 "$(fetch "$ca" "$base?pageSize=2&pageNumber=2" "$tmp/p2")"
cmp -s "$tmp/p2" "$state/pages/2.json" || fail "page 2 body differs"
expect "no pageNumber" 200 "$(fetch "$ca" "$base" "$tmp/p0")"
cmp -s "$tmp/p0" "$state/pages/1.json" || fail "default page body differs"
expect "page 3" 404 "$(fetch "$ca" "$base?pageNumber=3" "$tmp/p3")"
grep -q '"error"' "$tmp/p3" || fail "404 without JSON error body"

# The same ETag for every page; 304 for If-None-Match and If-Modified-Since.
etag=$(header "$tmp/p1" etag)
lastmod=$(header "$tmp/p1" last-modified)
[ -n "$etag" ] || fail "no ETag"
[ -n "$lastmod" ] || fail "no Last-Modified"
expect "ETag page 2" "$etag" "$(header "$tmp/p2" etag)"
expect "If-None-Match" 304 \
    "$(fetch "$ca" "$base?pageNumber=1" "$tmp/c1" "If-None-Match: $etag")"
[ ! -s "$tmp/c1" ] || fail "304 with a body"
expect "304 ETag" "$etag" "$(header "$tmp/c1" etag)"
expect "If-None-Match other" 200 \
    "$(fetch "$ca" "$base?pageNumber=1" "$tmp/c2" 'If-None-Match: "0000"')"
expect "If-Modified-Since" 304 \
    "$(fetch "$ca" "$base?pageNumber=1" "$tmp/c3" "If-Modified-Since: $lastmod")"
expect "If-Modified-Since old" 200 \
    "$(fetch "$ca" "$base?pageNumber=1" "$tmp/c4" \
        'If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT')"
# A changed collection has another ETag.
printf '{"pageSize":2,"pageNumber":2,"hasNextPage":false,"items":[]}\n' \
    >"$state/pages/2.json"
expect "changed collection" 200 \
    "$(fetch "$ca" "$base?pageNumber=1" "$tmp/c5" "If-None-Match: $etag")"
[ "$(header "$tmp/c5" etag)" != "$etag" ] || fail "ETag did not change"

# TLS: the wrong CA fails; the IP address is in the certificate too.
case $(fetch "$certs/other-ca.pem" "$base" "$tmp/w") in
error*) ;;
*) fail "TLS check passed with other-ca.pem" ;;
esac
expect "by IP" 200 \
    "$(fetch "$ca" "https://127.0.0.1:$catalogue_port/offerings" "$tmp/ip")"

# Authorization.
echo 'Bearer s3cret' >"$state/auth"
expect "no auth" 401 "$(fetch "$ca" "$base" "$tmp/a1")"
expect "wrong auth" 401 \
    "$(fetch "$ca" "$base" "$tmp/a2" 'Authorization: Bearer nope')"
expect "right auth" 200 \
    "$(fetch "$ca" "$base" "$tmp/a3" 'Authorization: Bearer s3cret')"
rm "$state/auth"

# Forced status, only for the first 2 requests.
echo 503 >"$state/status"
echo 2 >"$state/status_count"
expect "status 1st" 503 "$(fetch "$ca" "$base" "$tmp/s1")"
expect "status 2nd" 503 "$(fetch "$ca" "$base" "$tmp/s2")"
expect "status 3rd" 200 "$(fetch "$ca" "$base" "$tmp/s3")"
expect "status 4th" 200 "$(fetch "$ca" "$base" "$tmp/s4")"
expect "status_count" 0 "$(cat "$state/status_count")"
rm "$state/status_count"
expect "status always" 503 "$(fetch "$ca" "$base" "$tmp/s5")"
rm "$state/status"

# Truncated body and slow body.
touch "$state/truncate"
expect "truncate" "error IncompleteRead" "$(fetch "$ca" "$base" "$tmp/t")"
rm "$state/truncate"
echo 3 >"$state/slow"
expect "slow" "error TimeoutError" \
    "$(fetch_timeout=1 fetch "$ca" "$base" "$tmp/sl")"
rm "$state/slow"

# The request log.
log=$state/requests.log
grep -qx "GET /offerings?pageNumber=1&pageSize=2 200 inm=- ims=- auth=no" "$log" ||
    fail "requests.log lacks the first request"
grep -qx "GET /offerings?pageNumber=1 304 inm=$etag ims=- auth=no" "$log" ||
    fail "requests.log lacks the 304"
grep -qx "GET /offerings 401 inm=- ims=- auth=yes" "$log" ||
    fail "requests.log lacks the wrong-auth 401"
expect "503 count in log" 3 "$(grep -c '^GET /offerings 503 ' "$log")"

# The same with curl, if it is there.
if command -v curl >/dev/null 2>&1; then
    code=$(curl -sS --cacert "$ca" -o "$tmp/k1" -w '%{http_code}' \
        "$base?pageNumber=2")
    expect "curl page 2" 200 "$code"
    cmp -s "$tmp/k1" "$state/pages/2.json" || fail "curl page 2 body differs"
    code=$(curl -sS --cacert "$ca" -o "$tmp/k2" -w '%{http_code}' \
        -D "$tmp/k2.hdr" "$base")
    expect "curl page 1" 200 "$code"
    etag2=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' "$tmp/k2.hdr" | tr -d '\r')
    code=$(curl -sS --cacert "$ca" -o /dev/null -w '%{http_code}' \
        -H "If-None-Match: $etag2" "$base")
    expect "curl 304" 304 "$code"
    rc=0
    curl -sS --cacert "$certs/other-ca.pem" -o /dev/null "$base" \
        2>/dev/null || rc=$?
    expect "curl wrong CA exit code" 60 "$rc"
    touch "$state/truncate"
    rc=0
    curl -sS --cacert "$ca" -o /dev/null "$base" 2>/dev/null || rc=$?
    expect "curl truncate exit code" 18 "$rc"
    rm "$state/truncate"
    echo 3 >"$state/slow"
    rc=0
    curl -sS --cacert "$ca" --max-time 1 -o /dev/null "$base" \
        2>/dev/null || rc=$?
    expect "curl slow exit code" 28 "$rc"
    rm "$state/slow"
    # Keep-alive: two URLs in one curl run share one connection.
    curl -sS --cacert "$ca" -o /dev/null -o /dev/null \
        -w '%{num_connects}\n' "$base?pageNumber=1" "$base?pageNumber=2" \
        >"$tmp/k3"
    expect "curl keep-alive connects" "1
0" "$(cat "$tmp/k3")"
    curl_used=yes
else
    curl_used=no
fi

# --- SMTP sink ----------------------------------------------------------

# A message with a line that starts with a dot (dot-stuffing) and CRLFs.
printf 'From: loket <loket@example.org>\r\nTo: chef@example.org\r\nSubject: Samenvatting\r\n\r\nRegel 1\r\n.begint met punt\r\n..twee punten\r\n.\tpunt tab\r\nlaatste regel\r\n' \
    >"$tmp/message.eml"

# smtp PORT SCRIPT: run a Python snippet with smtplib, with s = an SMTP
# connection to 127.0.0.1:PORT, ctx = a TLS context trusting ca.pem and
# msg = the bytes of message.eml. The snippet's output is printed.
smtp() {
    python3 -c '
import smtplib, ssl, sys
port, cafile, msgfile, code = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=cafile)
msg = open(msgfile, "rb").read()
s = smtplib.SMTP("localhost", int(port), timeout=10)
exec(code)
' "$1" "$ca" "$tmp/message.eml" "$2"
}

net_start_smtp "$mail" "$certs" --refuse nee@example.org NEE2@example.org
plain_port=$smtp_port

# Before TLS: STARTTLS offered, no AUTH; MAIL gets 530.
out=$(smtp "$smtp_port" '
s.ehlo("client.test")
print(s.has_extn("starttls"), s.has_extn("auth"))
print(s.mail("loket@example.org"))
s.quit()')
expect "SMTP before TLS" "True False
(530, b'5.7.0 Must issue a STARTTLS command first')" "$out"

# After STARTTLS: one refused recipient, the message stored exactly.
out=$(smtp "$smtp_port" '
s.starttls(context=ctx)
s.ehlo("client.test")
print(s.has_extn("starttls"))
print(s.sendmail("loket@example.org",
                 ["chef@example.org", "nee@example.org", "Nee2@example.org"],
                 msg))
s.quit()')
expect "SMTP sendmail" "False
{'nee@example.org': (550, b'5.1.1 <nee@example.org>: Recipient address rejected'), 'Nee2@example.org': (550, b'5.1.1 <Nee2@example.org>: Recipient address rejected')}" "$out"
[ -f "$mail/msg-1.eml" ] || fail "msg-1.eml not written"
cmp -s "$mail/msg-1.eml" "$tmp/message.eml" || fail "stored message differs"
expect "msg-1.env" "from loket@example.org
rcpt chef@example.org
tls yes
auth -" "$(cat "$mail/msg-1.env")"

# RSET, NOOP, unknown command; all recipients refused means no message.
out=$(smtp "$smtp_port" '
s.starttls(context=ctx)
s.ehlo("client.test")
print(s.noop()[0], s.docmd("VRFY", "x")[0], s.rset()[0])
print(s.mail("a@example.org")[0], s.rcpt("nee@example.org")[0], s.docmd("DATA")[0])
s.quit()')
expect "SMTP misc" "250 502 250
250 550 554" "$out"
[ ! -e "$mail/msg-2.eml" ] || fail "message stored without recipients"
grep -qx 'STARTTLS' "$mail/session.log" || fail "session.log lacks STARTTLS"
grep -qix 'MAIL FROM:<loket@example.org>' "$mail/session.log" ||
    fail "session.log lacks MAIL FROM"

# Concurrent connections: one stays open while another delivers.
out=$(smtp "$smtp_port" '
s.ehlo("first.test")
t = smtplib.SMTP("localhost", int(port), timeout=10)
t.starttls(context=ctx)
t.sendmail("second@example.org", ["chef@example.org"], b"Subject: 2\r\n\r\nx\r\n")
t.quit()
print(s.noop()[0])
s.quit()')
expect "SMTP concurrent" 250 "$out"
expect "msg-2.env from" "from second@example.org" "$(head -n 1 "$mail/msg-2.env")"

# With authentication required.
mail2=$tmp/mail-auth
net_start_smtp "$mail2" "$certs" --user loket --password 'geheim wachtwoord'
out=$(smtp "$smtp_port" '
s.starttls(context=ctx)
s.ehlo("client.test")
print(s.esmtp_features.get("auth").strip())
print(s.mail("loket@example.org"))
try:
    s.login("loket", "fout")
except smtplib.SMTPAuthenticationError as e:
    print(e.smtp_code)
s.login("loket", "geheim wachtwoord")          # AUTH PLAIN, inline
s.sendmail("loket@example.org", ["chef@example.org"], msg)
s.quit()
s = smtplib.SMTP("localhost", int(port), timeout=10)
s.starttls(context=ctx)
s.ehlo("client.test")
s.user, s.password = "loket", "geheim wachtwoord"
print(s.auth("PLAIN", s.auth_plain, initial_response_ok=False)[0])
s.quit()
for inline in (True, False):                   # AUTH LOGIN, both ways
    s = smtplib.SMTP("localhost", int(port), timeout=10)
    s.starttls(context=ctx)
    s.ehlo("client.test")
    s.user, s.password = "loket", "geheim wachtwoord"
    print(s.auth("LOGIN", s.auth_login, initial_response_ok=inline)[0])
    s.quit()')
expect "SMTP auth" "PLAIN LOGIN
(530, b'5.7.0 Authentication required')
535
235
235
235" "$out"
cmp -s "$mail2/msg-1.eml" "$tmp/message.eml" || fail "authenticated message differs"
expect "authenticated env" "auth loket" "$(tail -n 1 "$mail2/msg-1.env")"
grep -q 'geheim' "$mail2/session.log" && fail "session.log shows the password"
grep -qx 'AUTH <hidden>' "$mail2/session.log" || fail "session.log lacks AUTH <hidden>"

if [ "$curl_used" = yes ]; then
    # curl as SMTP client: STARTTLS required, AUTH PLAIN on the next line.
    curl -sS --ssl-reqd --cacert "$ca" -u 'loket:geheim wachtwoord' \
        --mail-from loket@example.org --mail-rcpt chef@example.org \
        --upload-file "$tmp/message.eml" "smtp://localhost:$smtp_port" ||
        fail "curl could not send mail"
    cmp -s "$mail2/msg-2.eml" "$tmp/message.eml" || fail "curl message differs"
    # Refused recipient and missing STARTTLS make curl fail (first sink).
    rc=0
    curl -sS --ssl-reqd --cacert "$ca" \
        --mail-from loket@example.org --mail-rcpt nee@example.org \
        --upload-file "$tmp/message.eml" "smtp://localhost:$plain_port" \
        2>/dev/null || rc=$?
    [ "$rc" -ne 0 ] || fail "curl: refused recipient did not fail"
    rc=0
    curl -sS --mail-from loket@example.org --mail-rcpt chef@example.org \
        --upload-file "$tmp/message.eml" "smtp://localhost:$plain_port" \
        2>/dev/null || rc=$?
    [ "$rc" -ne 0 ] || fail "curl: mail without STARTTLS did not fail"
fi

net_stop
net_stop
echo "selftest: ok"
