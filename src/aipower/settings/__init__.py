"""Settings packages: ``base`` (shared), ``dev`` (development and demo), ``test``, ``prod``."""
