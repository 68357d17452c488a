"""Follow-up work a call leaves behind, in pure form: exports (CSV, iCalendar), webhook
signatures, the customer's history in a live call, and the default complaint taxonomy.
Storage, routes and the webhook worker live at the edges (storage/, api/, commands/)."""
