"""Allow ``python -m collis.posture analyze PATH``."""

from .cli import main

raise SystemExit(main())
