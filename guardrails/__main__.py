from guardrails.cli import console_main

console_main()
