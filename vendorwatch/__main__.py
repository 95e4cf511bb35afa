from vendorwatch.cli import main

main()
