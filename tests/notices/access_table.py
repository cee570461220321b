"""The message centre's URLs for the URL × role walk: every signed-in user has their own."""

from tests.access import API_EVERYONE, EVERYONE, LOGIN

POST_ONLY = [LOGIN] + [405] * 6
ACCESS_TABLE = {
    "notices:list": (None, EVERYONE),
    "notices:badge": (None, EVERYONE),
    "notices:mark_read": (None, POST_ONLY),
    "api:notice_list": (None, API_EVERYONE),
    "api:notice_mark_read": (None, [405] * 7),
}
