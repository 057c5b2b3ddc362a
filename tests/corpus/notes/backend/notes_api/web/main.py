"""What uvicorn serves: uvicorn notes_api.web.main:app"""

from notes_api.web.app import create_app

app = create_app()
