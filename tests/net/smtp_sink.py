#!/usr/bin/python3
"""smtp_sink.py: a local SMTP server with STARTTLS that stores what it gets.

Used by the shell tests of loket's summary e-mail (see netlib.sh, which
starts it). Python 3.11 standard library only (plain sockets, ssl, threads).

    smtp_sink.py --cert server.pem --key server.key --out DIR
                 [--port-file FILE] [--refuse ADDR ...]
                 [--user U --password P]

Binds 127.0.0.1 on a free port, writes "<port>\\n" to FILE (atomically: temp
name + rename) once it is listening, and serves until it gets SIGTERM or
SIGINT (then it exits 0 without a word). One thread per connection.

Dialogue:
  - greeting 220; EHLO lists SIZE, 8BITMIME, ENHANCEDSTATUSCODES and
    STARTTLS (before TLS) or AUTH PLAIN LOGIN (after TLS, only with --user);
    HELO works too.
  - STARTTLS -> 220, then TLS with --cert/--key; the session is reset and the
    client must EHLO/HELO again.
  - MAIL FROM before STARTTLS -> 530 5.7.0 Must issue a STARTTLS command first
    MAIL FROM without EHLO/HELO (after TLS) -> 503 5.5.1
    MAIL FROM before AUTH (with --user) -> 530 5.7.0 Authentication required
  - AUTH PLAIN (initial response inline or on the next line) and AUTH LOGIN;
    wrong credentials -> 535 5.7.8.
  - RCPT TO an address given with --refuse (case-insensitive)
    -> 550 5.1.1 <addr>: Recipient address rejected; others 250.
  - DATA -> 354; the message (dot-stuffing undone, bytes otherwise exactly as
    received, CRLF line ends, up to the CRLF before the final ".") is stored
    as DIR/msg-<n>.eml, n = 1, 2, ... (continuing after files already in
    DIR). DIR/msg-<n>.env is written first, so once the .eml exists its .env
    does too. The .env has the lines
        from <addr>        ("from -" for the null sender <>)
        rcpt <addr>        one per accepted recipient
        tls yes|no
        auth <user>|-
    and the reply is "250 2.0.0 Ok: queued as <n>".
  - RSET, NOOP, QUIT (221) work; anything else -> 502.

Every command line received is appended to DIR/session.log (without CRLF),
except that "AUTH ..." is logged as "AUTH <hidden>" and SASL response lines
as "<hidden>". Message contents are not logged there.
"""

import argparse
import base64
import binascii
import os
import re
import signal
import socket
import ssl
import sys
import threading

MAX_COMMAND_LINE = 4096
MAX_MESSAGE = 50 * 1024 * 1024
IDLE_TIMEOUT = 60
HOSTNAME = "localhost"

MAIL_RE = re.compile(r"^MAIL FROM:\s*<([^>]*)>\s*(.*)$", re.I)
RCPT_RE = re.compile(r"^RCPT TO:\s*<([^>]*)>\s*(.*)$", re.I)


def atomic_write(path, data):
    """Write data (bytes) to path via a temp name and a rename."""
    tmp = os.path.join(os.path.dirname(path),
                       ".tmp-%d-%s" % (os.getpid(), os.path.basename(path)))
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class Closed(Exception):
    """The client went away (or misbehaved so that we hung up)."""


class Sink:
    """Shared state of the server: options, message counter, logs."""

    def __init__(self, args, ssl_context):
        self.args = args
        self.ssl_context = ssl_context
        self.out = os.path.abspath(args.out)
        self.refuse = {a.lower() for a in args.refuse}
        self.lock = threading.Lock()
        self.counter = 0
        for name in os.listdir(self.out):
            m = re.fullmatch(r"msg-(\d+)\.(eml|env)", name)
            if m:
                self.counter = max(self.counter, int(m.group(1)))

    def log(self, line):
        with self.lock:
            with open(os.path.join(self.out, "session.log"), "a",
                      encoding="utf-8", errors="replace") as f:
                f.write(line + "\n")
                f.flush()

    def store(self, env, message):
        """Store one message; returns its number."""
        with self.lock:
            self.counter += 1
            n = self.counter
        base = os.path.join(self.out, "msg-%d" % n)
        atomic_write(base + ".env", env.encode("utf-8", "surrogateescape"))
        atomic_write(base + ".eml", message)
        return n


class Session:
    """One SMTP connection."""

    def __init__(self, sink, sock):
        self.sink = sink
        self.sock = sock
        self.buf = b""
        self.tls = False
        self.helo = False
        self.user = None
        self.reset()

    def reset(self):
        self.mail_from = None
        self.rcpts = []

    # --- I/O ------------------------------------------------------------

    def send(self, text):
        try:
            self.sock.sendall(text.encode("utf-8") + b"\r\n")
        except OSError as e:
            raise Closed() from e

    def readline(self, limit):
        """One line including its line end; None if the line is too long."""
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line, self.buf = self.buf[:i + 1], self.buf[i + 1:]
                return line if len(line) <= limit else None
            if len(self.buf) > limit:
                # Drop the rest of the overlong line.
                self.buf = b""
                while True:
                    chunk = self.recv()
                    i = chunk.find(b"\n")
                    if i >= 0:
                        self.buf = chunk[i + 1:]
                        return None
            self.buf += self.recv()

    def recv(self):
        try:
            chunk = self.sock.recv(65536)
        except OSError as e:
            raise Closed() from e
        if not chunk:
            raise Closed()
        return chunk

    def read_command(self):
        line = self.readline(MAX_COMMAND_LINE)
        if line is None:
            return None
        return line.rstrip(b"\r\n").decode("utf-8", "surrogateescape")

    # --- main loop ------------------------------------------------------

    def run(self):
        self.sock.settimeout(IDLE_TIMEOUT)
        try:
            self.send("220 %s ESMTP loket test sink" % HOSTNAME)
            while True:
                line = self.read_command()
                if line is None:
                    self.sink.log("<overlong line>")
                    self.send("500 5.5.2 Line too long")
                    continue
                verb, _, arg = line.partition(" ")
                verb = verb.upper()
                self.sink.log("AUTH <hidden>" if verb == "AUTH" else line)
                handler = getattr(self, "cmd_" + verb, None)
                if handler is None or not verb.isalpha():
                    self.send("502 5.5.2 Error: command not recognized")
                    continue
                if handler(arg.strip(), line) is False:
                    break
        except Closed:
            pass
        finally:
            try:
                self.sock.close()
            except OSError:
                pass

    # --- commands -------------------------------------------------------

    def cmd_HELO(self, arg, line):
        if not arg:
            self.send("501 5.5.4 Syntax: HELO hostname")
            return
        self.helo = True
        self.reset()
        self.send("250 %s" % HOSTNAME)

    def cmd_EHLO(self, arg, line):
        if not arg:
            self.send("501 5.5.4 Syntax: EHLO hostname")
            return
        self.helo = True
        self.reset()
        ext = ["SIZE %d" % MAX_MESSAGE, "8BITMIME", "ENHANCEDSTATUSCODES"]
        if not self.tls:
            ext.append("STARTTLS")
        elif self.sink.args.user is not None:
            ext.append("AUTH PLAIN LOGIN")
        lines = ["%s greets %s" % (HOSTNAME, arg)] + ext
        for item in lines[:-1]:
            self.send("250-" + item)
        self.send("250 " + lines[-1])

    def cmd_STARTTLS(self, arg, line):
        if arg:
            self.send("501 5.5.4 Syntax: STARTTLS")
            return
        if self.tls:
            self.send("503 5.5.1 TLS already active")
            return
        if self.buf:
            # Commands pipelined behind STARTTLS would be injected into the
            # TLS session; hang up instead (RFC 3207 section 5).
            self.send("554 5.5.1 Error: pipelining after STARTTLS")
            return False
        self.send("220 2.0.0 Ready to start TLS")
        try:
            self.sock = self.sink.ssl_context.wrap_socket(self.sock,
                                                          server_side=True)
        except (OSError, ValueError) as e:
            raise Closed() from e
        self.tls = True
        self.helo = False
        self.user = None
        self.reset()

    def cmd_AUTH(self, arg, line):
        if not self.tls:
            self.send("530 5.7.0 Must issue a STARTTLS command first")
            return
        if self.sink.args.user is None:
            self.send("502 5.5.1 Error: authentication not enabled")
            return
        if not self.helo:
            self.send("503 5.5.1 Error: send EHLO first")
            return
        if self.user is not None:
            self.send("503 5.5.1 Error: already authenticated")
            return
        if self.mail_from is not None:
            self.send("503 5.5.1 Error: MAIL transaction in progress")
            return
        mech, _, initial = arg.partition(" ")
        mech, initial = mech.upper(), initial.strip()
        if mech == "PLAIN":
            resp = self.sasl_response(initial or None, "")
            if resp is None:
                return
            parts = resp.split(b"\0")
            if len(parts) != 3:
                self.send("501 5.5.2 Error: bad PLAIN response")
                return
            user, password = parts[1], parts[2]
        elif mech == "LOGIN":
            user = self.sasl_response(initial or None,
                                      base64.b64encode(b"Username:").decode())
            if user is None:
                return
            password = self.sasl_response(
                None, base64.b64encode(b"Password:").decode())
            if password is None:
                return
        else:
            self.send("504 5.5.4 Error: unsupported authentication mechanism")
            return
        want_user = self.sink.args.user.encode("utf-8")
        want_password = (self.sink.args.password or "").encode("utf-8")
        if user == want_user and password == want_password:
            self.user = self.sink.args.user
            self.send("235 2.7.0 Authentication successful")
        else:
            self.send("535 5.7.8 Error: authentication failed")

    def sasl_response(self, initial, challenge):
        """Decoded client response (inline or after a 334); None on error
        (the error reply has been sent then)."""
        if initial is None:
            self.send("334 " + challenge)
            line = self.read_command()
            self.sink.log("<hidden>")
            if line is None:
                self.send("500 5.5.2 Line too long")
                return None
            initial = line.strip()
            if initial == "*":
                self.send("501 5.7.0 Authentication aborted")
                return None
        if initial == "=":
            return b""
        try:
            return base64.b64decode(initial, validate=True)
        except (binascii.Error, ValueError):
            self.send("501 5.5.2 Error: cannot decode response")
            return None

    def cmd_MAIL(self, arg, line):
        if not self.tls:
            self.send("530 5.7.0 Must issue a STARTTLS command first")
            return
        if not self.helo:
            self.send("503 5.5.1 Error: send HELO/EHLO first")
            return
        if self.sink.args.user is not None and self.user is None:
            self.send("530 5.7.0 Authentication required")
            return
        if self.mail_from is not None:
            self.send("503 5.5.1 Error: nested MAIL command")
            return
        m = MAIL_RE.match(line)
        if not m:
            self.send("501 5.5.4 Syntax: MAIL FROM:<address>")
            return
        for param in m.group(2).split():
            key, _, value = param.partition("=")
            if key.upper() == "SIZE" and value.isdigit() \
                    and int(value) > MAX_MESSAGE:
                self.send("552 5.3.4 Message size exceeds fixed limit")
                return
        self.mail_from = m.group(1)
        self.send("250 2.1.0 Ok")

    def cmd_RCPT(self, arg, line):
        if self.mail_from is None:
            self.send("503 5.5.1 Error: need MAIL command")
            return
        m = RCPT_RE.match(line)
        if not m:
            self.send("501 5.5.4 Syntax: RCPT TO:<address>")
            return
        addr = m.group(1)
        if addr.lower() in self.sink.refuse:
            self.send("550 5.1.1 <%s>: Recipient address rejected" % addr)
            return
        self.rcpts.append(addr)
        self.send("250 2.1.5 Ok")

    def cmd_DATA(self, arg, line):
        if arg:
            self.send("501 5.5.4 Syntax: DATA")
            return
        if self.mail_from is None:
            self.send("503 5.5.1 Error: need MAIL command")
            return
        if not self.rcpts:
            self.send("554 5.5.1 Error: no valid recipients")
            return
        self.send("354 End data with <CR><LF>.<CR><LF>")
        parts = []
        size = 0
        while True:
            data_line = self.readline(1 << 30)
            if data_line in (b".\r\n", b".\n"):
                break
            if data_line.startswith(b"."):
                data_line = data_line[1:]
            size += len(data_line)
            if size <= MAX_MESSAGE:
                parts.append(data_line)
        if size > MAX_MESSAGE:
            self.reset()
            self.send("552 5.3.4 Message size exceeds fixed limit")
            return
        env = ["from %s" % (self.mail_from or "-")]
        env += ["rcpt %s" % r for r in self.rcpts]
        env.append("tls %s" % ("yes" if self.tls else "no"))
        env.append("auth %s" % (self.user if self.user is not None else "-"))
        n = self.sink.store("".join(x + "\n" for x in env), b"".join(parts))
        self.reset()
        self.send("250 2.0.0 Ok: queued as %d" % n)

    def cmd_RSET(self, arg, line):
        self.reset()
        self.send("250 2.0.0 Ok")

    def cmd_NOOP(self, arg, line):
        self.send("250 2.0.0 Ok")

    def cmd_QUIT(self, arg, line):
        self.send("221 2.0.0 Bye")
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cert", required=True, help="server certificate (PEM)")
    ap.add_argument("--key", required=True, help="server private key (PEM)")
    ap.add_argument("--out", required=True, help="directory for messages/logs")
    ap.add_argument("--port-file", help="write the port number here")
    ap.add_argument("--refuse", nargs="+", action="extend", default=[],
                    metavar="ADDR",
                    help="recipient addresses to reject with 550")
    ap.add_argument("--user", help="require AUTH with this user name")
    ap.add_argument("--password", help="the password for --user")
    args = ap.parse_args()
    if (args.user is None) != (args.password is None):
        ap.error("--user and --password go together")

    def stop(signum, frame):
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    os.makedirs(args.out, exist_ok=True)
    sink = Sink(args, ctx)

    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    port = listener.getsockname()[1]
    if args.port_file:
        atomic_write(args.port_file, b"%d\n" % port)

    while True:
        try:
            conn, _ = listener.accept()
        except OSError as e:
            sys.stderr.write("smtp_sink: accept: %s\n" % e)
            continue
        t = threading.Thread(target=Session(sink, conn).run, daemon=True)
        t.start()


if __name__ == "__main__":
    main()
