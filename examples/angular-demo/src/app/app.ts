import { Component } from '@angular/core';
import { SiteHeader } from './site-header/site-header';
import { UserCard } from './user-card/user-card';
import { StatusBadge } from './status-badge/status-badge';
import { Dashboard } from './dashboard/dashboard';
import { Highlight } from './highlight/highlight';
import { TodoList } from './todo-list/todo-list';
import { PromoCard } from './promo-card/promo-card';

@Component({
  selector: 'app-root',
  imports: [SiteHeader, UserCard, StatusBadge, Dashboard, Highlight, TodoList, PromoCard],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly joined = new Date(2021, 2, 14);
}
