from readingroom.cli import main

main()
