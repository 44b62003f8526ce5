"""Services: the rules of the domain, called alike by the CLI and the web pages."""
