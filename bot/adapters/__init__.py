"""Platform adapters: each translates platform events to Queries and Replies to messages."""
