from django.contrib import admin

from collis.education.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "is_published", "featured", "order", "updated_at"]
    list_filter = ["kind", "is_published", "featured"]
    list_editable = ["order"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["related_providers"]
    readonly_fields = ["updated_at"]
