# inventory-sync/settings.py (excerpt)
DATABASE_URL = "mysql+pymysql://inv_sync@db-inv-01.dc2.internal:3306/inventory"
ENGINE_OPTIONS = {
    "pool_size": 8,
    "max_overflow": 4,
    "pool_recycle": 3600,
    "pool_pre_ping": False,
}
BATCH_INTERVAL_SECONDS = (120, 300)
