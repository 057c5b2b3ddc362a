from library.cli import main

main()
