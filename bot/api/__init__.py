"""The HTTP entry point clients reach; the only port Reflect exposes."""
