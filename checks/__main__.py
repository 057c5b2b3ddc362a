import sys

try:
    from checks.cli import main
except KeyboardInterrupt:  # Ctrl-C while the checker was still starting: nothing to undo
    print("roadmap-check: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
