# The fixtures every test folder shares (tests/ and each app's tests/).
pytest_plugins = ["tests.pytest_fixtures"]
