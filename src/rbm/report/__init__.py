"""The performance report: view models built once from engine output (`build/`), rendered
to HTML, PDF, XLSX and JSON by `render/`."""
