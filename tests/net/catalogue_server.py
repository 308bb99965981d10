#!/usr/bin/python3
"""catalogue_server.py: a local HTTPS stand-in for an OOAPI v5 catalogue.

Used by the shell tests of `loket aanbod sync` (see netlib.sh, which starts
it). Python 3.11 standard library only.

    catalogue_server.py --cert server.pem --key server.key --state DIR
                        [--port-file FILE]

Binds 127.0.0.1 on a free port, writes "<port>\\n" to FILE (atomically: temp
name + rename) once it is listening, and serves until it gets SIGTERM or
SIGINT (then it exits 0 without a word). Prints nothing but errors.

Everything it does is driven by files in the state DIR, re-read on every
request, so a test may change them between requests:

  pages/N.json   GET .../offerings?pageNumber=N answers these bytes verbatim
                 (application/json). pageNumber missing = 1; other query
                 parameters (pageSize, ...) are ignored. Any path whose last
                 segment is "offerings" is accepted. A missing page is 404.
                 ETag: strong, sha256 of all pages/*.json concatenated in
                 sorted name order (first 16 hex digits), the same for every
                 page. Last-Modified: newest mtime of those files.
                 If-None-Match matching the ETag (or, without If-None-Match,
                 If-Modified-Since >= Last-Modified) gives 304 without body.
  auth           if present, its stripped content is the exact Authorization
                 header value required; otherwise 401.
  status         if present, an HTTP status code (e.g. 503) answered instead
                 of everything else, with a small JSON body.
  status_count   with "status": answer that status only while this counter
                 is > 0, decrementing it on each such answer; at 0 the server
                 behaves normally again.
  retry_after    with "status": its content is sent as a Retry-After header.
  slow           seconds (may be fractional): for a page (200) the status line
                 and headers go out at once, the body only after this delay.
  truncate       if present, a page (200) declares the full Content-Length but
                 only the first half of the body is sent, then the connection
                 is closed.

Checks run in this order: status, auth, path/page (400/404), conditional
(304), then the page itself (slow/truncate apply only to 200 pages).

Every request is appended to DIR/requests.log as one line:
  <method> <path-with-query> <status> inm=<If-None-Match|-> ims=<If-Modified-Since|-> auth=<yes|no>
(If-Modified-Since contains spaces, e.g. "ims=Wed, 01 Jan 2025 10:00:00 GMT").
"""

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import urllib.parse

# How long a TLS handshake and an idle keep-alive connection may take.
HANDSHAKE_TIMEOUT = 10
IDLE_TIMEOUT = 60

# Errors that only mean the client went away or gave up; not worth a word.
QUIET_ERRORS = (ConnectionError, TimeoutError, ssl.SSLError, BrokenPipeError)


def read_text(path):
    """Content of a small control file, stripped, or None if it is missing."""
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace").strip()
    except FileNotFoundError:
        return None


def atomic_write(path, data):
    """Write data (bytes) to path via a temp name and a rename."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class CatalogueServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Set by main().
    ssl_context = None
    state_dir = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Serialises requests.log appends and the status_count counter.
        self.lock = threading.Lock()

    def finish_request(self, request, client_address):
        # The TLS handshake runs here, in the connection's own thread, so a
        # slow or failing client (e.g. one that rejects our certificate)
        # never blocks the accept loop.
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ValueError):
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        except QUIET_ERRORS:
            pass
        finally:
            try:
                tls.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, QUIET_ERRORS):
            return
        super().handle_error(request, client_address)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "loket-test-catalogue/1"
    timeout = IDLE_TIMEOUT

    # --- logging: no access log on stderr, only real errors ---------------

    def log_message(self, format, *args):
        pass

    def log_error(self, format, *args):
        msg = format % args
        if msg.startswith("Request timed out"):
            return
        sys.stderr.write("catalogue_server: %s\n" % msg)

    def log_request_line(self, status):
        """Append this request to DIR/requests.log."""
        inm = self.headers.get("If-None-Match") or "-"
        ims = self.headers.get("If-Modified-Since") or "-"
        auth = "yes" if self.headers.get("Authorization") is not None else "no"
        line = "%s %s %d inm=%s ims=%s auth=%s\n" % (
            self.command, self.path, status, inm, ims, auth)
        with self.server.lock:
            with open(os.path.join(self.server.state_dir, "requests.log"),
                      "a", encoding="utf-8", errors="replace") as f:
                f.write(line)
                f.flush()

    # --- helpers --------------------------------------------------------

    def state(self, name):
        return os.path.join(self.server.state_dir, name)

    def reply(self, status, body=b"", headers=(), content_type=None,
              truncate=False, delay=0.0):
        """Log and send a complete response."""
        self.log_request_line(status)
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        has_body = not (status < 200 or status in (204, 304))
        if has_body:
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not has_body:
            self.wfile.flush()
            return
        if delay > 0:
            # Let the client see status and headers, then stall.
            self.wfile.flush()
            time.sleep(delay)
        if truncate:
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            # Close without TLS close_notify: the client sees a cut stream.
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(body)
        self.wfile.flush()

    def reply_error(self, status, message, headers=()):
        body = json.dumps({"status": status, "error": message}).encode() + b"\n"
        self.reply(status, body, headers, "application/json")

    def simulated_status(self):
        """The status forced by DIR/status (honouring status_count), or None."""
        text = read_text(self.state("status"))
        if text is None:
            return None
        try:
            status = int(text.split()[0])
        except (ValueError, IndexError):
            sys.stderr.write("catalogue_server: bad status file: %r\n" % text)
            return 500
        count_path = self.state("status_count")
        with self.server.lock:
            count_text = read_text(count_path)
            if count_text is None:
                return status
            try:
                count = int(count_text or "0")
            except ValueError:
                sys.stderr.write(
                    "catalogue_server: bad status_count file: %r\n" % count_text)
                return 500
            if count <= 0:
                return None
            atomic_write(count_path, b"%d\n" % (count - 1))
            return status

    def validators(self):
        """(etag, last_modified_epoch) of the whole collection, or (None, None)."""
        pages = self.state("pages")
        try:
            names = sorted(n for n in os.listdir(pages) if n.endswith(".json"))
        except FileNotFoundError:
            names = []
        if not names:
            return None, None
        digest = hashlib.sha256()
        newest = 0.0
        for name in names:
            path = os.path.join(pages, name)
            try:
                with open(path, "rb") as f:
                    digest.update(f.read())
                newest = max(newest, os.stat(path).st_mtime)
            except FileNotFoundError:
                continue
        return '"%s"' % digest.hexdigest()[:16], int(newest)

    def not_modified(self, etag, last_modified):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            if inm.strip() == "*":
                return True
            # Weak comparison, as RFC 9110 prescribes for If-None-Match.
            tags = [t.strip() for t in inm.split(",")]
            tags = [t[2:] if t.startswith("W/") else t for t in tags]
            return etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return since >= last_modified
        return False

    # --- methods --------------------------------------------------------

    def do_GET(self):
        try:
            self.handle_get()
        except QUIET_ERRORS:
            self.close_connection = True

    def handle_get(self):
        status = self.simulated_status()
        if status is not None:
            headers = []
            retry_after = read_text(self.state("retry_after"))
            if retry_after is not None:
                headers.append(("Retry-After", retry_after))
            self.reply_error(status, "simulated failure", headers)
            return

        required = read_text(self.state("auth"))
        if required is not None and self.headers.get("Authorization") != required:
            self.reply_error(401, "unauthorized",
                             [("WWW-Authenticate", 'Bearer realm="catalogue"')])
            return

        url = urllib.parse.urlsplit(self.path)
        if url.path.rstrip("/").rsplit("/", 1)[-1] != "offerings":
            self.reply_error(404, "no such resource")
            return
        query = urllib.parse.parse_qs(url.query)
        number = query.get("pageNumber", ["1"])[0]
        if not number.isdigit() or int(number) < 1:
            self.reply_error(400, "bad pageNumber")
            return

        try:
            with open(os.path.join(self.state("pages"), "%d.json" % int(number)),
                      "rb") as f:
                body = f.read()
        except FileNotFoundError:
            self.reply_error(404, "no such page")
            return

        etag, last_modified = self.validators()
        headers = [("ETag", etag),
                   ("Last-Modified",
                    email.utils.formatdate(last_modified, usegmt=True))]
        if self.not_modified(etag, last_modified):
            self.reply(304, headers=headers)
            return

        slow = read_text(self.state("slow"))
        try:
            delay = float(slow) if slow else 0.0
        except ValueError:
            sys.stderr.write("catalogue_server: bad slow file: %r\n" % slow)
            delay = 0.0
        truncate = os.path.exists(self.state("truncate"))
        self.reply(200, body, headers, "application/json",
                   truncate=truncate, delay=delay)

    def method_not_allowed(self):
        # Discard a request body, if any, to keep the connection usable.
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.reply_error(405, "method not allowed", [("Allow", "GET")])

    do_POST = do_PUT = do_DELETE = do_PATCH = method_not_allowed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cert", required=True, help="server certificate (PEM)")
    ap.add_argument("--key", required=True, help="server private key (PEM)")
    ap.add_argument("--state", required=True, help="state directory")
    ap.add_argument("--port-file", help="write the port number here")
    args = ap.parse_args()

    # Exit at once and quietly when told to stop.
    def stop(signum, frame):
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)

    CatalogueServer.ssl_context = ctx
    CatalogueServer.state_dir = os.path.abspath(args.state)
    server = CatalogueServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    if args.port_file:
        atomic_write(args.port_file, b"%d\n" % port)
    server.serve_forever()


if __name__ == "__main__":
    main()
