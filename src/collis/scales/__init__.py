"""Rating scales: TWSTRS and Tsui scoring (pure cores), forms and assessments."""
