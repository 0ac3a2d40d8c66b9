"""Exchange with the tools organizations already use: IATI 2.03 files, Open Fiscal Data
Packages and offline workbooks. Each format is pure functions over the domain dataset."""
