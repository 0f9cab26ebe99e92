"""poacal: the UN Programme of Action on small arms (PoA/ITI) meeting cycle, offline."""

__version__ = "0.1.0"
