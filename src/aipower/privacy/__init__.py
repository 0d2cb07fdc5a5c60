"""Personal-data requests of the project contacts (個人資料保護法 第3條)."""
