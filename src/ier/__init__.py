"""Online voter registration service."""
