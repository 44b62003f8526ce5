"""HR exports of literacy results: CSV, XLSX and SPSS .sav writers with their codebooks."""
