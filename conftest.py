# The fixtures every test folder shares (tests/ and each app's tests/):
# tests/pytest_fixtures.py, and the data-entry ones (media_root, district_demo)
# beside their helpers in tests/entry_support.py. Test modules use them by name.
pytest_plugins = ["tests.pytest_fixtures", "tests.entry_support"]
