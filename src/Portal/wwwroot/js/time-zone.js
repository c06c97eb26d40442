// The browser's time zone (IANA name, e.g. "Asia/Shanghai"), so that the portal shows times in local time. Kept in a
// cookie that every page request carries; the page also asks for it directly when the cookie was not there yet.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

document.cookie = `portal-time-zone=${encodeURIComponent(timeZone())}; path=/; max-age=31536000; samesite=lax`
    + (location.protocol === 'https:' ? '; secure' : '');
