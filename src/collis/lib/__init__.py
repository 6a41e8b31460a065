"""Small shared modules every app may import: charts, rate limits, upload checks, problem JSON.

Pure where they can be (charts); no module here imports an app.
"""
