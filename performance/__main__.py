"""``python -m performance`` is now ``python manage.py``: this says so and runs it.

The command line reads and writes the database, so it is an entry point beside ``app.py``
rather than part of the domain package, which imports nothing from ``data_loaders``. The old
command starts ``manage.py`` in its place (the same process, arguments and exit status), so
scheduled jobs written for it keep working.
"""

import os
import sys
from pathlib import Path

manage = Path(__file__).resolve().parents[1] / "manage.py"
print(f"note: 'python -m performance' is now 'python manage.py'; running {manage}", file=sys.stderr)
sys.stderr.flush()
os.execv(sys.executable, [sys.executable, str(manage), *sys.argv[1:]])
