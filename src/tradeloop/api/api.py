from ninja import NinjaAPI

api = NinjaAPI(title="Tradeloop API", version="1", urls_namespace="api")
