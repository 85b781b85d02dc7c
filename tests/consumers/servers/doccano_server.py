"""Runs doccano's own WSGI app on 127.0.0.1 for the consumer test, with SQLite in a folder.

Usage (with the Python of doccano's venv): doccano_server.py PORT DATA_DIR

Sets up the database (doccano's migrations and roles), creates an admin with an API token, and
serves `config.wsgi` through waitress (a dependency of doccano) until it is terminated. Imports
run through doccano's own Celery task, executed in the request (CELERY_TASK_ALWAYS_EAGER) so the
test needs no broker or worker process. Prints `READY <token>` when it accepts requests.
"""

import os
import pathlib
import sys


def main(port, data_dir):
    data = pathlib.Path(data_dir)
    data.mkdir(parents=True, exist_ok=True)
    import backend  # doccano's Django project

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    sys.path.append(os.path.dirname(backend.__file__))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="doccano_test_settings",
        DATABASE_URL=f"sqlite:///{data / 'db.sqlite3'}",
        MEDIA_ROOT=str(data / "media"),
        CROSSCHECK_DOCCANO_DATA=str(data),
        DEBUG="True",
    )
    import django
    from django.core import management

    django.setup()
    management.call_command("migrate", verbosity=0)
    management.call_command("create_roles", verbosity=0)
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    admin = get_user_model().objects.create_superuser("crosscheck", "crosscheck@example.org", "crosscheck-test")
    token = Token.objects.create(user=admin)
    from config.wsgi import application
    from waitress import create_server

    server = create_server(application, host="127.0.0.1", port=int(port), threads=2)
    print(f"READY {token.key}", flush=True)
    server.run()


if __name__ == "__main__":
    main(*sys.argv[1:3])
