"""Chinese full-text search: one tokenizer (Python + JS), a sharded lunr index, the query."""
