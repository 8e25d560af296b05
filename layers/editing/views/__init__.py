"""The editing pages. Views only translate between HTTP and the workflow: they read with
selectors, write with services and turn the services' refusals into messages."""
