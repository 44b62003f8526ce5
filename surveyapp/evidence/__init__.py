"""The AI-literacy evidence pack (EU AI Act art. 4): a dated, versioned PDF and XLSX."""
