import { Component, signal } from '@angular/core';
import { TodoItem, Todo } from './todo-item/todo-item';

/** A list whose items are components. */
@Component({
  selector: 'app-todo-list',
  imports: [TodoItem],
  templateUrl: './todo-list.html',
})
export class TodoList {
  protected readonly todos = signal<Todo[]>([
    { id: 1, title: 'Write the release notes', done: true },
    { id: 2, title: 'Fix the checkout total', done: false },
    { id: 3, title: 'Review the new header', done: false },
  ]);
}
