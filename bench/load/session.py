#!/usr/bin/env python3
"""Signs in to a running sijill server and prints what the load scripts need.

  session.py BASE ADMIN FIELD PASSWORD

Signs in as FIELD (prints `cookie=<session cookie>`), then as ADMIN makes an API
token for FIELD through the admin page (prints `token=<token>`). Standard library only.
"""
import html
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), NoRedirect()
    )
    return opener, jar


def fetch(opener, url, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with opener.open(url, data) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def csrf(page):
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    if not m:
        sys.exit("no CSRF field on the page")
    return html.unescape(m.group(1))


def login(base, username, password):
    opener, jar = client()
    _, page = fetch(opener, base + "/login")
    status, _ = fetch(
        opener,
        base + "/login",
        {"csrf": csrf(page), "username": username, "password": password},
    )
    if status != 303:
        sys.exit(f"login of {username} answered {status}")
    return opener, jar


def main():
    base, admin, field, password = sys.argv[1:5]
    _, jar = login(base, field, password)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    print(f"cookie={cookie}")
    opener, _ = login(base, admin, password)
    _, users = fetch(opener, base + "/admin/users")
    ids = re.findall(r'href="/admin/users/([0-9a-f-]{36})"[^>]*>\s*' + re.escape(field), users)
    if not ids:
        # The link text may be the display name; take the link on the row naming the user.
        row = next((r for r in users.split("<tr") if field in r), "")
        ids = re.findall(r"/admin/users/([0-9a-f-]{36})", row)
    if not ids:
        sys.exit(f"no link to {field} on /admin/users")
    page_path = f"/admin/users/{ids[0]}"
    _, page = fetch(opener, base + page_path)
    status, made = fetch(
        opener, base + page_path + "/tokens", {"csrf": csrf(page), "name": "load test"}
    )
    m = re.search(r'id="new-token">([^<]+)<', made)
    if status != 201 or not m:
        sys.exit(f"making the token answered {status}")
    print(f"token={m.group(1)}")


if __name__ == "__main__":
    main()
