"""The HTTP face (`vendorwatch serve`): a read-only dashboard, Slack buttons, /healthz and /metrics."""
