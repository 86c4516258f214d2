from dom_desk.cli import main

raise SystemExit(main())
