"""The workbench's URLs (home, search, messages and their API) for the URL × role walk."""

from tests.access import API_EVERYONE

ACCESS_TABLE = {
    "api:todo_list": (None, API_EVERYONE),
}
