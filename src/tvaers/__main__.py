from tvaers.cli import main

main()
