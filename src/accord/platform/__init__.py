"""The platform every capability stands on: parties, access, audit, API auth."""
