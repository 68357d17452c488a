"""Storage (an edge): SQLAlchemy models, Alembic migrations and the queries the service needs.

SQLite by default, PostgreSQL through a database URL. The core never imports this package.
"""

from calmline.storage.database import Database, open_database
from calmline.storage.migrate import upgrade_to_head

__all__ = ["Database", "open_database", "upgrade_to_head"]
