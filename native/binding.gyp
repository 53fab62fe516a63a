{
  "targets": [
    {
      "target_name": "yield_lab_native",
      "sources": ["src/yield_lab_native.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-pthread"],
      "ldflags": ["-pthread"]
    }
  ]
}
