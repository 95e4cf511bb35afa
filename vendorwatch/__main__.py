from vendorwatch.cli.main import main

main()
